/**
 * The words the planner gets. The map of the project rides in the system prompt (a
 * preamble section); this is the user message. Every line has to earn its place: the
 * planner model is paid for reading it on every call it makes.
 */

export function plannerTask(task: string): string {
  return `Break this task into steps for a coding agent. Each step later runs on its own, seeing only its instruction, its files and a short note of the finished steps: write every instruction so it stands alone (name the files, functions and exact change).

Task: ${task}

You may read files and search first (nothing can be changed now). Then reply with only this JSON:
{"steps":[{"description":"short title","instruction":"what to do","files":["path or symbol name"],"verify":{"kind":"none|file_changed|pattern_absent|command_success|build_success","path":"","pattern":"","command":""},"tool_budget":8,"category":"quick|standard|deep|search","bash":false}]}
- 1 to 8 steps, in order; one step per coherent change, not per line.
- files: what the step reads or changes; a symbol name from the project map is fine.
- verify: how to check the step (pattern_absent needs pattern, command_success needs command).
- category: quick for a small edit in one file, deep for hard multi-file reasoning, search for read-only research, else standard.
- bash: true only if the step must run commands.`;
}

export function plannerRepairTask(task: string, reply: string, problem: string): string {
  const shown = reply.length > 3_000 ? `${reply.slice(0, 3_000)}\n[…]` : reply;
  return `${plannerTask(task)}

Your earlier reply could not be used: ${problem}. It was:
${shown}

Reply again with only the JSON object, nothing before or after it.`;
}

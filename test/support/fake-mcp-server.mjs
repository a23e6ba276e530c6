#!/usr/bin/env node
/**
 * A small MCP server over stdio for tests and the benchmark, built on the real SDK.
 *
 *   node fake-mcp-server.mjs [--tools N] [--stderr TEXT] [--hang] [--exit]
 *
 * --tools N    how many synthetic tools to list (default 37), with schemas shaped like
 *              real servers' (GitHub, databases, chat): $defs, anyOf, formats, defaults
 * --stderr T   print T to stderr when starting (for log and redaction tests)
 * --hang       start, then never answer anything (for start timeouts)
 * --exit       print an error to stderr and exit 3 before answering (a broken server)
 *
 * Besides the synthetic tools it always lists `crash` (the process exits mid-call),
 * `wait` (answers only when cancelled) and `pid` (returns the process id).
 */
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const argv = process.argv.slice(2);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};

if (option("--stderr") !== undefined) process.stderr.write(`${option("--stderr")}\n`);
if (argv.includes("--exit")) {
  process.stderr.write("fatal: cannot open the database\n");
  process.exit(3);
}
if (argv.includes("--hang")) {
  // Reads nothing and answers nothing, like a server stuck before its main loop.
  setInterval(() => undefined, 60_000);
} else {
  await serve(Number(option("--tools") ?? 37));
}

async function serve(count) {
  const tools = [...syntheticTools(count), ...specialTools()];
  const server = new Server({ name: "fake", version: "1.0.0" }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const { name, arguments: args = {} } = request.params;
    if (name === "crash") {
      process.stderr.write("crashing on purpose\n");
      process.exit(1);
    }
    if (name === "pid") return { content: [{ type: "text", text: String(process.pid) }] };
    if (name === "wait") {
      await new Promise((resolve) => extra.signal.addEventListener("abort", resolve, { once: true }));
      return { content: [{ type: "text", text: "cancelled" }] };
    }
    if (!tools.some((t) => t.name === name)) {
      return { content: [{ type: "text", text: `unknown tool ${name}` }], isError: true };
    }
    return { content: [{ type: "text", text: `${name} called with ${JSON.stringify(args)}` }] };
  });
  await server.connect(new StdioServerTransport());
}

function specialTools() {
  const empty = { type: "object", properties: {} };
  return [
    { name: "crash", description: "Exits the server process in the middle of the call.", inputSchema: empty },
    { name: "wait", description: "Waits until the call is cancelled.", inputSchema: empty },
    {
      name: "pid",
      description: "Returns the server's process id.",
      inputSchema: empty,
      annotations: { readOnlyHint: true },
    },
  ];
}

/** Tools shaped like the ones popular servers list; descriptions about as long as theirs. */
function syntheticTools(count) {
  const repo = {
    owner: { type: "string", description: "Repository owner (user or organisation)" },
    repo: { type: "string", description: "Repository name" },
  };
  const paging = {
    page: { type: "integer", minimum: 1, default: 1, description: "Page number for pagination" },
    perPage: { type: "integer", minimum: 1, maximum: 100, default: 30, description: "Results per page (max 100)" },
  };
  const defs = {
    State: { type: "string", enum: ["open", "closed", "all"], description: "Filter by state" },
    Labels: { type: "array", items: { type: "string" }, description: "Labels to apply" },
  };
  const object = (properties, required = [], extra = {}) => ({
    $schema: "http://json-schema.org/draft-07/schema#",
    type: "object",
    properties,
    required,
    additionalProperties: false,
    ...extra,
  });
  const catalogue = [
    [
      "create_issue",
      "Create a new issue in a GitHub repository.",
      object(
        {
          ...repo,
          title: { type: "string", description: "Issue title" },
          body: { anyOf: [{ type: "string" }, { type: "null" }], description: "Issue body (Markdown)" },
          labels: { $ref: "#/$defs/Labels" },
          assignees: { type: "array", items: { type: "string" }, description: "Usernames to assign" },
        },
        ["owner", "repo", "title"],
        { $defs: defs },
      ),
    ],
    [
      "list_issues",
      "List issues in a GitHub repository with filtering options.",
      object(
        {
          ...repo,
          state: { $ref: "#/$defs/State" },
          labels: { $ref: "#/$defs/Labels" },
          since: { type: "string", format: "date-time", description: "Only issues updated after this time" },
          ...paging,
        },
        ["owner", "repo"],
        { $defs: defs },
      ),
    ],
    [
      "get_issue",
      "Get the details of one issue in a GitHub repository.",
      object({ ...repo, issue_number: { type: "integer", description: "The issue number" } }, [
        "owner",
        "repo",
        "issue_number",
      ]),
    ],
    [
      "update_issue",
      "Update an existing issue: title, body, state, labels or assignees.",
      object(
        {
          ...repo,
          issue_number: { type: "integer" },
          title: { type: "string" },
          body: { type: "string" },
          state: { type: "string", enum: ["open", "closed"] },
          labels: { $ref: "#/$defs/Labels" },
        },
        ["owner", "repo", "issue_number"],
        { $defs: defs },
      ),
    ],
    [
      "add_issue_comment",
      "Add a comment to an existing issue or pull request.",
      object(
        {
          ...repo,
          issue_number: { type: "integer" },
          body: { type: "string", description: "Comment text (Markdown)" },
        },
        ["owner", "repo", "issue_number", "body"],
      ),
    ],
    [
      "search_code",
      "Search for code across GitHub repositories using GitHub's code search syntax.",
      object(
        {
          q: { type: "string", description: "Search query, e.g. 'addClass in:file language:js repo:jquery/jquery'" },
          sort: { type: "string", enum: ["indexed"] },
          order: { type: "string", enum: ["asc", "desc"] },
          ...paging,
        },
        ["q"],
      ),
    ],
    [
      "search_repositories",
      "Search for GitHub repositories by name, topic or description.",
      object({ query: { type: "string", description: "Search query" }, ...paging }, ["query"]),
    ],
    [
      "create_pull_request",
      "Create a new pull request in a GitHub repository.",
      object(
        {
          ...repo,
          title: { type: "string" },
          head: { type: "string", description: "The branch with your changes" },
          base: { type: "string", description: "The branch to merge into" },
          body: { type: "string" },
          draft: { type: "boolean", default: false },
        },
        ["owner", "repo", "title", "head", "base"],
      ),
    ],
    [
      "merge_pull_request",
      "Merge a pull request.",
      object(
        {
          ...repo,
          pull_number: { type: "integer" },
          merge_method: { type: "string", enum: ["merge", "squash", "rebase"], default: "merge" },
          commit_title: { type: "string" },
        },
        ["owner", "repo", "pull_number"],
      ),
    ],
    [
      "list_commits",
      "List the commits of a branch in a GitHub repository.",
      object({ ...repo, sha: { type: "string", description: "Branch name or commit SHA" }, ...paging }, [
        "owner",
        "repo",
      ]),
    ],
    [
      "get_file_contents",
      "Get the contents of a file or directory from a GitHub repository.",
      object(
        {
          ...repo,
          path: { type: "string", description: "Path to the file or directory" },
          branch: { type: "string", description: "Branch to read from" },
        },
        ["owner", "repo", "path"],
      ),
    ],
    [
      "create_branch",
      "Create a new branch in a GitHub repository.",
      object(
        {
          ...repo,
          branch: { type: "string" },
          from_branch: { type: "string", description: "Source branch (defaults to the repository's default branch)" },
        },
        ["owner", "repo", "branch"],
      ),
    ],
    [
      "push_files",
      "Push several files to a branch in one commit.",
      object(
        {
          ...repo,
          branch: { type: "string" },
          message: { type: "string" },
          files: {
            type: "array",
            items: {
              type: "object",
              properties: { path: { type: "string" }, content: { type: "string" } },
              required: ["path", "content"],
            },
          },
        },
        ["owner", "repo", "branch", "message", "files"],
      ),
    ],
    [
      "query",
      "Run a read-only SQL query against the connected PostgreSQL database and return the rows.",
      object(
        {
          sql: { type: "string", description: "The SQL query to run" },
          params: { type: "array", items: { anyOf: [{ type: "string" }, { type: "number" }, { type: "null" }] } },
        },
        ["sql"],
      ),
    ],
    ["list_tables", "List the tables in a database schema.", object({ schema: { type: "string", default: "public" } })],
    [
      "describe_table",
      "Describe the columns, types and indexes of a table.",
      object({ table: { type: "string" }, schema: { type: "string", default: "public" } }, ["table"]),
    ],
    [
      "fetch",
      "Fetch a URL from the internet and return its contents as Markdown.",
      object(
        {
          url: { type: "string", format: "uri", description: "URL to fetch" },
          max_length: { type: "integer", default: 5000, exclusiveMinimum: 0, exclusiveMaximum: 1000000 },
          start_index: { type: "integer", default: 0, minimum: 0 },
          raw: { type: "boolean", default: false },
        },
        ["url"],
      ),
    ],
    [
      "brave_web_search",
      "Perform a web search using the Brave Search API, for general queries, news and articles.",
      object(
        {
          query: { type: "string", description: "Search query (max 400 chars, 50 words)" },
          count: { type: "number", default: 10, description: "Number of results (1-20)" },
          offset: { type: "number", default: 0 },
        },
        ["query"],
      ),
    ],
    [
      "brave_local_search",
      "Search for local businesses and places using Brave's Local Search API.",
      object(
        {
          query: { type: "string", description: "Local search query (e.g. 'pizza near Central Park')" },
          count: { type: "number", default: 5 },
        },
        ["query"],
      ),
    ],
    [
      "slack_list_channels",
      "List public channels in the Slack workspace with pagination.",
      object({ limit: { type: "number", default: 100 }, cursor: { type: "string" } }),
    ],
    [
      "slack_post_message",
      "Post a new message to a Slack channel.",
      object({ channel_id: { type: "string" }, text: { type: "string" } }, ["channel_id", "text"]),
    ],
    [
      "slack_reply_to_thread",
      "Reply to a specific message thread in Slack.",
      object(
        {
          channel_id: { type: "string" },
          thread_ts: { type: "string", description: "Timestamp of the parent message" },
          text: { type: "string" },
        },
        ["channel_id", "thread_ts", "text"],
      ),
    ],
    [
      "slack_get_channel_history",
      "Get recent messages from a channel.",
      object({ channel_id: { type: "string" }, limit: { type: "number", default: 10 } }, ["channel_id"]),
    ],
    [
      "create_entities",
      "Create multiple new entities in the knowledge graph.",
      object(
        {
          entities: {
            type: "array",
            items: {
              type: "object",
              properties: {
                name: { type: "string" },
                entityType: { type: "string" },
                observations: { type: "array", items: { type: "string" } },
              },
              required: ["name", "entityType", "observations"],
            },
          },
        },
        ["entities"],
      ),
    ],
    [
      "create_relations",
      "Create relations between entities in the knowledge graph, in active voice.",
      object(
        {
          relations: {
            type: "array",
            items: {
              type: "object",
              properties: { from: { type: "string" }, to: { type: "string" }, relationType: { type: "string" } },
              required: ["from", "to", "relationType"],
            },
          },
        },
        ["relations"],
      ),
    ],
    [
      "search_nodes",
      "Search the knowledge graph for nodes matching a query.",
      object({ query: { type: "string" } }, ["query"]),
    ],
    ["read_graph", "Read the entire knowledge graph.", object({})],
    [
      "puppeteer_navigate",
      "Navigate the browser to a URL.",
      object(
        {
          url: { type: "string", format: "uri" },
          launchOptions: { type: "object", additionalProperties: true },
          allowDangerous: { type: "boolean", default: false },
        },
        ["url"],
      ),
    ],
    [
      "puppeteer_screenshot",
      "Take a screenshot of the current page or an element.",
      object(
        {
          name: { type: "string" },
          selector: { type: "string" },
          width: { type: "number", default: 800 },
          height: { type: "number", default: 600 },
        },
        ["name"],
      ),
    ],
    [
      "puppeteer_click",
      "Click an element on the page.",
      object({ selector: { type: "string", description: "CSS selector of the element" } }, ["selector"]),
    ],
    [
      "puppeteer_fill",
      "Fill out an input field.",
      object({ selector: { type: "string" }, value: { type: "string" } }, ["selector", "value"]),
    ],
    [
      "sentry_get_issue",
      "Retrieve and analyse a Sentry issue by ID or URL.",
      object(
        {
          issue_id_or_url: {
            oneOf: [
              { type: "string", format: "uri" },
              { type: "string", pattern: "^[0-9]+$" },
            ],
          },
        },
        ["issue_id_or_url"],
      ),
    ],
    [
      "linear_create_issue",
      "Create a new Linear issue.",
      object(
        {
          title: { type: "string" },
          teamId: { type: "string" },
          description: { type: "string" },
          priority: { type: "integer", enum: [0, 1, 2, 3, 4], description: "0 none, 1 urgent, 4 low" },
        },
        ["title", "teamId"],
      ),
    ],
    [
      "linear_search_issues",
      "Search Linear issues with flexible filters.",
      object({
        query: { type: "string" },
        status: { type: "string" },
        assigneeId: { type: "string" },
        limit: { type: "number", default: 10 },
      }),
    ],
    [
      "time_get_current_time",
      "Get the current time in a specific timezone.",
      object({ timezone: { type: "string", description: "IANA timezone name, e.g. 'Europe/London'" } }, ["timezone"]),
    ],
    [
      "time_convert_time",
      "Convert a time between timezones.",
      object(
        {
          source_timezone: { type: "string" },
          time: { type: "string", pattern: "^\\d{2}:\\d{2}$", description: "Time in 24-hour format (HH:MM)" },
          target_timezone: { type: "string" },
        },
        ["source_timezone", "time", "target_timezone"],
      ),
    ],
    [
      "sequential_thinking",
      "A tool for dynamic, reflective problem-solving through a sequence of thoughts that can be revised.",
      object(
        {
          thought: { type: "string" },
          nextThoughtNeeded: { type: "boolean" },
          thoughtNumber: { type: "integer", minimum: 1 },
          totalThoughts: { type: "integer", minimum: 1 },
        },
        ["thought", "nextThoughtNeeded", "thoughtNumber", "totalThoughts"],
      ),
    ],
  ];
  const out = [];
  for (let i = 0; i < count; i++) {
    const [name, description, inputSchema] = catalogue[i % catalogue.length];
    const round = Math.floor(i / catalogue.length);
    out.push({ name: round === 0 ? name : `${name}_${round + 1}`, description, inputSchema });
  }
  return out;
}

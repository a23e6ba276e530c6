import { execFileSync } from "node:child_process";
import { chmod, lstat, mkdir, readdir, readFile, readlink, symlink, unlink, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Everything a user would notice about a folder: each file's content and permission bits,
 * each symlink's target, each directory (empty ones too). `.git` is left out.
 */
export async function treeState(root: string, skip: string[] = [".git"]): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (skip.includes(childRel)) continue;
      const abs = path.join(dir, name);
      const st = await lstat(abs);
      if (st.isSymbolicLink()) state[childRel] = `link -> ${await readlink(abs)}`;
      else if (st.isDirectory()) {
        state[`${childRel}/`] = "dir";
        await walk(abs, childRel);
      } else state[childRel] = `${(st.mode & 0o777).toString(8)} ${await readFile(abs, "utf8")}`;
    }
  };
  await walk(root, "");
  return state;
}

/**
 * What a typical task does to a project, through tools and through a real shell: creates
 * files (in a new nested folder too), edits one, deletes one, makes one executable,
 * rewrites one with `sed -i` (a new inode, as bash commands do), replaces a symlink.
 * Expects `src/app.js`, `README.md`, `old.txt`, `run.sh`, `config.ini` and `link`.
 */
export async function simulateTask(root: string): Promise<void> {
  await mkdir(path.join(root, "src", "generated", "deep"), { recursive: true });
  await writeFile(path.join(root, "src", "generated", "deep", "new.js"), "export const created = true;\n");
  await writeFile(path.join(root, "NOTES.md"), "# notes\n");
  await writeFile(path.join(root, "src", "app.js"), "console.log('edited');\n");
  await unlink(path.join(root, "old.txt"));
  await chmod(path.join(root, "run.sh"), 0o755);
  execFileSync("bash", ["-c", "sed -i 's/debug=false/debug=true/' config.ini"], { cwd: root });
  await unlink(path.join(root, "link"));
  await symlink("src/app.js", path.join(root, "link"));
}

export const TASK_FIXTURE: Record<string, string> = {
  "src/app.js": "console.log('original');\n",
  "README.md": "# project\n",
  "old.txt": "to be deleted\n",
  "run.sh": "#!/bin/sh\necho hi\n",
  "config.ini": "[main]\ndebug=false\n",
};

/** Writes TASK_FIXTURE (plus a `link` symlink to README.md) under `root`. */
export async function writeTaskFixture(root: string, extra: Record<string, string> = {}): Promise<void> {
  for (const [rel, content] of Object.entries({ ...TASK_FIXTURE, ...extra })) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  await chmod(path.join(root, "run.sh"), 0o644);
  await symlink("README.md", path.join(root, "link"));
}

import { describe, expect, it } from "vitest";
import { judgeReadOnly, READ_ONLY_COMMANDS } from "./read-only-commands.js";
import { sedScriptIsReadOnly } from "./sed-script.js";

const judge = (line: string) => judgeReadOnly(line.split(" "), READ_ONLY_COMMANDS);

describe("judgeReadOnly", () => {
  it("matches the longest listed prefix, git's global options set aside", () => {
    expect(judge("git -C src --no-pager log -3")).toEqual({ readOnly: true, entry: "git log" });
    expect(judge("git stash list")).toEqual({ readOnly: true, entry: "git stash list" });
    expect(judge("git stash")).toEqual({ readOnly: false });
    expect(judge("/bin/ls -la")).toEqual({ readOnly: true, entry: "ls" });
    expect(judge("./ls")).toEqual({ readOnly: false });
  });

  it("listing forms of git branch, tag, remote, reflog and config read; the rest write", () => {
    for (const line of [
      "git branch -a",
      "git branch --contains HEAD",
      "git branch --list 'fix*'",
      "git tag",
      "git tag -l",
      "git remote -v",
      "git remote show origin",
      "git reflog",
      "git config --get user.name",
    ]) {
      expect(judge(line).readOnly, line).toBe(true);
    }
    for (const line of [
      "git branch -m a b",
      "git tag -a v1 -m x",
      "git remote add up url",
      "git remote set-url origin x",
      "git reflog expire --all",
      "git grep -O vim foo",
    ]) {
      expect(judge(line).readOnly, line).toBe(false);
    }
  });

  it("uniq with an output operand, date -s and tree -o write", () => {
    expect(judge("uniq in.txt")).toMatchObject({ readOnly: true });
    expect(judge("uniq in.txt out.txt")).toMatchObject({ readOnly: false, reason: "uniq INPUT OUTPUT writes OUTPUT" });
    expect(judge("date -s 2020-01-01")).toMatchObject({ readOnly: false });
    expect(judge("tree -o out.txt")).toMatchObject({ readOnly: false });
  });
});

describe("sedScriptIsReadOnly", () => {
  it("accepts printing, substitution and deletion scripts", () => {
    for (const script of [
      "1,5p",
      "s/a/b/g",
      "s|/usr|/opt|2",
      "/^#/d",
      "$!N;s/\\n/ /",
      "y/abc/xyz/",
      "/start/,/end/{s/x/y/;p}",
      "10q",
      "s/w/e/gI",
      "a\\\nappended",
    ]) {
      expect(sedScriptIsReadOnly(script), script).toBe(true);
    }
  });

  it("rejects w, W and e commands and the w/e flags of s", () => {
    for (const script of [
      "w out.txt",
      "1,3W out",
      "s/a/b/w out.txt",
      "s/a/b/e",
      "1e date",
      "/x/ w file",
      "p;w f",
      "unknown!",
    ]) {
      expect(sedScriptIsReadOnly(script), script).toBe(false);
    }
  });
});

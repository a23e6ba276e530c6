import { describe, expect, it } from "vitest";
import { fallbackOutline } from "./outline-fallback.js";

describe("fallbackOutline", () => {
  it("outlines TypeScript without control flow", () => {
    const src = [
      "export interface A {}",
      "export type B = string;",
      "export const f = async (x: number) => x;",
      "export default class C extends D {",
      "  private m(a: string): void {",
      "    if (a) {",
      "    }",
      "  }",
      "}",
    ].join("\n");
    expect(fallbackOutline("x.ts", src)).toBe(
      [
        "1: export interface A {}",
        "2: export type B = string;",
        "3: export const f = async (x: number) => x;",
        "4: export default class C extends D",
        "5:   private m(a: string): void",
      ].join("\n"),
    );
  });

  it("outlines Python, Go, Rust, Java and C", () => {
    expect(fallbackOutline("a.py", "class A:\n    def m(self):\n        pass\nx = 1\n")).toBe(
      "1: class A:\n2:     def m(self):",
    );
    expect(fallbackOutline("a.go", "package a\ntype T struct {\n}\nfunc (t T) M() {\n}\n")).toBe(
      "2: type T struct\n4: func (t T) M()",
    );
    expect(fallbackOutline("a.rs", "pub struct S;\nimpl S {\n    pub fn new() -> Self {\n    }\n}\n")).toBe(
      "1: pub struct S;\n2: impl S\n3:     pub fn new() -> Self",
    );
    expect(fallbackOutline("A.java", "public class A {\n  public static void main(String[] a) {\n  }\n}\n")).toBe(
      "1: public class A\n2:   public static void main(String[] a)",
    );
    expect(
      fallbackOutline("a.c", "#include <x.h>\nstatic int add(int a, int b)\n{\n  return a + b;\n}\nstruct P {\n};\n"),
    ).toBe("2: static int add(int a, int b)\n6: struct P");
  });

  it("knows nothing of other languages", () => {
    expect(fallbackOutline("a.txt", "hello")).toBeNull();
  });
});

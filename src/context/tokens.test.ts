import { countTokens } from "gpt-tokenizer/encoding/o200k_base";
import { describe, expect, it } from "vitest";
import { estimateTokens } from "./tokens.js";

describe("estimateTokens (before the tokenizer loads)", () => {
  it("keeps about four characters a token for ASCII", () => {
    expect(estimateTokens("")).toBe(0);
    expect(estimateTokens("abcd")).toBe(1);
    expect(estimateTokens("x".repeat(400))).toBe(100);
  });

  it("never counts far below o200k for other scripts, so preamble caps hold", () => {
    const samples = [
      "本项目使用严格的类型检查，所有函数都必须有明确的返回类型。测试文件放在同一目录下。",
      "このプロジェクトでは厳密な型チェックを使用し、すべての関数に明示的な戻り値の型が必要です。",
      "이 프로젝트는 엄격한 타입 검사를 사용하며 모든 함수는 명시적인 반환 타입을 가져야 합니다.",
      "Этот проект использует строгую проверку типов, все функции должны иметь явный тип возврата.",
      "يستخدم هذا المشروع فحصًا صارمًا للأنواع، ويجب أن يكون لجميع الدوال نوع إرجاع صريح.",
      "✅ done 🚀 ship it ❌ fail ⚠️ warn",
    ];
    for (const sample of samples) {
      const text = sample.repeat(20);
      const exact = countTokens(text);
      expect(estimateTokens(text)).toBeGreaterThanOrEqual(exact);
      // …and not wildly above it either: a budget that over-counts only wastes room.
      expect(estimateTokens(text)).toBeLessThan(exact * 2);
    }
  });
});

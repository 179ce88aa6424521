import { describe, expect, test } from "vitest";
import { canonicalDate, compactNormalize, exactMatch, squadNormalize } from "../../src/gyms/search/match.js";

describe("reference normalisation (userrl-2025)", () => {
  test("keeps Unicode letters and digits, lower-cased", () => {
    expect(compactNormalize("James Madison!")).toBe("jamesmadison");
    expect(compactNormalize("4,884 m")).toBe("4884m");
    expect(compactNormalize("Toghon Temür")).toBe("toghontemür");
    expect(compactNormalize("George VI\n")).toBe("georgevi");
    expect(compactNormalize("Ǆ½²")).toBe("ǆ½²"); // Python: isalnum() is true for each
  });
  test("matching", () => {
    expect(exactMatch("James  Madison.", "james madison", "userrl-2025")).toBe(true);
    expect(exactMatch("The Golden State", "Golden State", "userrl-2025")).toBe(false);
    expect(exactMatch("30 April 1789", "April 30, 1789", "userrl-2025")).toBe(false);
    expect(exactMatch("!!!", "?", "userrl-2025")).toBe(true); // both empty after normalisation, as in Python
  });
});

describe("fixed matching", () => {
  test("SQuAD-style: articles, punctuation, whitespace, diacritics", () => {
    expect(squadNormalize("The  Golden-State!")).toBe("goldenstate");
    expect(squadNormalize("A Tale of an Apple")).toBe("tale of apple");
    expect(exactMatch("The Golden State", "Golden State", "fixed")).toBe(true);
    expect(exactMatch("Toghon Temur", "Toghon Temür", "fixed")).toBe(true);
    expect(exactMatch("Charles Tupper Sr", "Charles Tupper Sr.", "fixed")).toBe(true);
  });
  test("dates in other formats", () => {
    expect(canonicalDate("April 30, 1789")).toBe("1789-04-30");
    expect(canonicalDate("30 April 1789")).toBe("1789-04-30");
    expect(canonicalDate("on the 30th of April, 1789")).toBeUndefined();
    expect(canonicalDate("30th of April, 1789")).toBe("1789-04-30");
    expect(canonicalDate("Apr. 30 1789")).toBe("1789-04-30");
    expect(canonicalDate("Sept 13, 1993")).toBe("1993-09-13");
    expect(canonicalDate("1789-04-30")).toBe("1789-04-30");
    expect(canonicalDate("April 1789")).toBeUndefined();
    expect(canonicalDate("Mayor 3, 1999")).toBeUndefined();
    expect(canonicalDate("April 32, 1789")).toBeUndefined();
    expect(exactMatch("1837-06-20", "20 June 1837", "fixed")).toBe(true);
    expect(exactMatch("21 June 1837", "20 June 1837", "fixed")).toBe(false);
  });
  test("never more lenient than formatting", () => {
    expect(exactMatch("Madison", "james madison", "fixed")).toBe(false);
    expect(exactMatch("1837", "20 June 1837", "fixed")).toBe(false);
    expect(exactMatch("the", "a", "fixed")).toBe(false); // nothing left after dropping articles
    expect(exactMatch("", "", "fixed")).toBe(false);
    expect(exactMatch("India", "India and Bangladesh", "fixed")).toBe(false);
  });
});

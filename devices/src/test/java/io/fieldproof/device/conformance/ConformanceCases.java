package io.fieldproof.device.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the conformance case files (format: {@code firmware/conformance/README.md}). */
final class ConformanceCases {

  /** One case: its name, chip and directives, each with the file and line it came from. */
  record Case(String name, String chip, List<Directive> directives) {}

  /** One directive line. */
  record Directive(String file, int line, String text) {
    String word() {
      int space = text.indexOf(' ');
      return space < 0 ? text : text.substring(0, space);
    }

    /** The n-th space-separated word (0 = the directive). */
    String arg(int n) {
      return text.split(" ")[n];
    }

    /** The rest of the line after {@code n} words. */
    String rest(int n) {
      String s = text;
      for (int i = 0; i < n; i++) {
        int space = s.indexOf(' ');
        s = space < 0 ? "" : s.substring(space + 1);
      }
      return s;
    }

    @Override
    public String toString() {
      return file + ":" + line + ": " + text;
    }
  }

  private ConformanceCases() {}

  static List<Case> load(Path dir) throws IOException {
    List<Case> cases = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files = listing.filter(p -> p.toString().endsWith(".case")).sorted().toList();
    }
    for (Path file : files) {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String name = null;
      String chip = null;
      List<Directive> directives = null;
      for (int i = 0; i < lines.size(); i++) {
        String text = lines.get(i);
        if (text.startsWith("case ")) {
          if (name != null) {
            cases.add(new Case(name, chip, directives));
          }
          String[] words = text.split(" ");
          name = words[1];
          chip = words.length > 2 ? words[2] : "stm32f4";
          directives = new ArrayList<>();
        } else if (!text.isEmpty() && !text.startsWith("#") && directives != null) {
          directives.add(new Directive(file.getFileName().toString(), i + 1, text));
        }
      }
      if (name != null) {
        cases.add(new Case(name, chip, directives));
      }
    }
    return cases;
  }

  /** The cases listed as wrong on {@code side} ("java" or "c"), with the reason given. */
  static Map<String, String> disagreements(Path dir, String side) throws IOException {
    Map<String, String> listed = new LinkedHashMap<>();
    Path file = dir.resolve("known-disagreements.txt");
    if (!Files.exists(file)) {
      return listed;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] words = line.split(" ", 3);
      if (words.length >= 2 && words[1].equals(side)) {
        listed.put(words[0], words.length > 2 ? words[2] : "");
      }
    }
    return listed;
  }

  /** Whether {@code body} matches {@code pattern}: verbatim except {@code <n>, <s>, <v>}. */
  static boolean matches(String pattern, String body) {
    int p = 0;
    int b = 0;
    while (p < pattern.length()) {
      if (pattern.startsWith("<n>", p)) {
        b = skipNumber(body, b);
        p += 3;
      } else if (pattern.startsWith("<s>", p)) {
        b = skipStringChars(body, b);
        p += 3;
      } else if (pattern.startsWith("<v>", p)) {
        b = skipValue(body, b);
        p += 3;
      } else {
        if (b >= body.length() || pattern.charAt(p) != body.charAt(b)) {
          return false;
        }
        p++;
        b++;
      }
      if (b < 0) {
        return false;
      }
    }
    return b == body.length();
  }

  private static int skipNumber(String s, int at) {
    int from = at;
    while (at < s.length() && "+-0123456789.eE".indexOf(s.charAt(at)) >= 0) {
      at++;
    }
    return at > from ? at : -1;
  }

  private static int skipStringChars(String s, int at) {
    while (at < s.length() && s.charAt(at) != '"') {
      at += s.charAt(at) == '\\' ? 2 : 1;
    }
    return Math.min(at, s.length());
  }

  private static int skipValue(String s, int at) {
    if (at >= s.length()) {
      return -1;
    }
    char c = s.charAt(at);
    if (c == '"') {
      int end = skipStringChars(s, at + 1);
      return end < s.length() ? end + 1 : -1;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      do {
        if (at >= s.length()) {
          return -1;
        }
        char d = s.charAt(at);
        if (d == '"') {
          at = skipStringChars(s, at + 1);
          if (at >= s.length()) {
            return -1;
          }
        } else if (d == '{' || d == '[') {
          depth++;
        } else if (d == '}' || d == ']') {
          depth--;
        }
        at++;
      } while (depth > 0);
      return at;
    }
    for (String literal : new String[] {"null", "true", "false"}) {
      if (s.startsWith(literal, at)) {
        return at + literal.length();
      }
    }
    return skipNumber(s, at);
  }

  /** Byte {@code i} of the generated model with {@code seed}. */
  static byte gen(long seed, long i) {
    return (byte) (((i * 31) ^ (i >> 8) ^ (seed * 101)) & 0xFF);
  }

  /** Bytes from hex digits, spaces ignored. */
  static byte[] hex(String text) {
    String digits = text.replace(" ", "");
    byte[] out = new byte[digits.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }
}

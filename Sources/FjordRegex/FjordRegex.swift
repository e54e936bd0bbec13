// FjordRegex: RE2 regular expressions for Istio `regex` matches, with full-match semantics.
//
// Pipeline, one file per stage:
//   RegexParser.swift      pattern text -> `Regex` (or a `RegexSyntaxError` with offset and length)
//   Regex.swift            the desugared AST; printing back to RE2 syntax; program size
//   ReferenceMatcher.swift `Regex.fullMatch`, the oracle: a position-set simulation over the AST
//   UTF8Ranges.swift       scalar ranges -> UTF-8 byte-range sequences; ill-formed units
//   NFA.swift              Thompson NFA over bytes, for one or many `Pattern`s
//   NFASimulation.swift    allocation-free set simulation (the fallback when a DFA is too big)
//   MultiDFA.swift         subset construction with a budget, Moore minimisation, byte classes
//   SparseDFA.swift        the same automaton as sorted byte ranges per state
//
// The accepted syntax, the rejected constructs and the departures from RE2 are in
// grammar/regex.md. This module imports only the standard library.

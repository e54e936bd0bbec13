import FjordBasics
import FjordDiagnostics
import FjordSource
import Testing
import _FjordTestSupportCore

@testable import FjordYAML

// MARK: - Positions

@Suite struct YAMLLoaderPositionTests {
    @Test func scalarMappingAndSequencePositions() throws {
        let m = MarkedText(
            """
            1️⃣apiVersion: 2️⃣v1
            kind: Service
            metadata:
              3️⃣name: 4️⃣payments
              labels: 5️⃣{app: 6️⃣pay}7️⃣
            spec:
              ports:
              8️⃣- port: 80
                name: http9️⃣
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root.range.file == FileID(0))
        #expect(root.range.start == m[1])
        // A block collection ends where its last child ends, not where libyaml's next token starts.
        #expect(root.range.end == m[9])
        let apiVersion = try #require(root.pair("apiVersion"))
        #expect(apiVersion.key.range.start == m[1])
        #expect(apiVersion.key.range.end == SourcePosition(line: 1, column: 11))
        #expect(apiVersion.value.range.start == m[2])
        let name = try #require(root["metadata"]?.pair("name"))
        #expect(name.key.range.start == m[3])
        #expect(name.value.range.start == m[4])
        #expect(name.value.range.end == SourcePosition(line: m[4].line, column: m[4].column + "payments".count))
        let labels = try #require(root["metadata"]?["labels"])
        #expect(labels.range.start == m[5])
        #expect(labels.range.end == m[7])
        #expect(labels["app"]?.range.start == m[6])
        let ports = try #require(root["spec"]?["ports"])
        #expect(ports.sequence?.count == 1)
        #expect(ports.range.start == m[8])
        #expect(ports.range.end == m[9])
        #expect(r.documents.first?.range.start == m[1])
    }

    @Test func nestedBlockMappingEndsAtItsLastValue() throws {
        let m = MarkedText(
            """
            outer:
              inner: 1️⃣value2️⃣

              # a comment before the next key
            next: 3️⃣x
            """)
        let r = load(m.text)
        let outer = try #require(r.root?["outer"])
        #expect(outer.range.end == m[2])
        #expect(r.root?["next"]?.range.start == m[3])
    }

    @Test func multiLineScalars() throws {
        let m = MarkedText(
            """
            plain: 1️⃣first
              second2️⃣
            quoted: 3️⃣"one
              two"4️⃣
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let plain = try #require(r.root?["plain"])
        #expect(plain.text == "first second")
        #expect(plain.range.start == m[1])
        #expect(plain.range.end == m[2])
        let quoted = try #require(r.root?["quoted"])
        #expect(quoted.text == "one two")
        #expect(quoted.scalar?.style == .doubleQuoted)
        #expect(quoted.range.start == m[3])
        #expect(quoted.range.end == m[4])
    }

    @Test func multipleDocuments() throws {
        let m = MarkedText(
            """
            1️⃣a: 1
            4️⃣---
            2️⃣b: 5️⃣2
            ...6️⃣
            --- 3️⃣[x]
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        #expect(r.documents.count == 3)
        #expect(r.documents.map(\.index) == [0, 1, 2])
        #expect(r.documents.allSatisfy { $0.file == FileID(0) })
        #expect(r.documents[0].root?.range.start == m[1])
        #expect(r.documents[1].range.start == m[4])
        #expect(r.documents[1].range.end == m[6])
        #expect(r.documents[1].root?.range.start == m[2])
        #expect(r.documents[1].root?["b"]?.range.start == m[5])
        #expect(r.documents[2].root?.range.start == m[3])
        #expect(r.documents[2].root?.sequence?.first?.text == "x")
    }

    @Test func columnsCountUnicodeScalars() throws {
        let m = MarkedText(
            """
            name: "ø€😀" # 🇳🇴 flag
            x: [ø, 1️⃣y]
            "€😀": 2️⃣v
            zh: 中文 3️⃣#
            after: 4️⃣ok
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root["name"]?.text == "ø€😀")
        #expect(root["x"]?.sequence?[1].range.start == m[1])
        #expect(root["€😀"]?.range.start == m[2])
        #expect(root["zh"]?.range.end == SourcePosition(line: m[3].line, column: m[3].column - 1))
        #expect(root["after"]?.range.start == m[4])
        // The same positions through SourceFile's byte conversion.
        let file = r.file
        #expect(file.position(ofByte: m.offsets[2] ?? -1) == m[2])
    }

    @Test func crlfLineEndings() throws {
        let m = MarkedText("a: 1\r\nb:\r\n  - 1️⃣x\r\n  - y2️⃣\r\n")
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let b = try #require(r.root?["b"])
        #expect(b.sequence?.first?.range.start == m[1])
        #expect(b.range.end == m[2])
    }

    @Test func lineBreaksThatSourceFileDoesNotCountKeepPositionsConsistent() throws {
        // libyaml breaks lines at a bare CR and at U+2028; SourceFile (and the renderer) only at
        // LF, so positions must follow SourceFile.
        let m = MarkedText("a: 1\rb: 1️⃣2\r\nc: x\u{2028}d: 2️⃣y\ne: 3️⃣z\n")
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root["b"]?.range.start == m[1])
        #expect(root["d"]?.range.start == m[2])
        #expect(root["e"]?.range.start == m[3])

        let e = MarkedText("a: 1\rb: c1️⃣: d\r")
        let bad = load(e.text)
        #expect(bad.errors.first?.message == "mapping values are not allowed in this context")
        #expect(bad.errors.first?.range.start == e[1])

        var limits = YAMLLimits()
        limits.maxScalarBytes = 3
        let l = MarkedText("a: 1\rb: 1️⃣long\r")
        let limited = load(l.text, limits: limits)
        #expect(limited.errors.first?.code == .inputLimit)
        #expect(limited.errors.first?.range.start == l[1])
    }

    @Test func oldMacLineEndingsStayLinear() throws {
        // Every break is a bare CR: one SourceFile line of 100,000 columns and more.
        var text = ""
        for i in 0..<10_000 { text += "key\(i): value\(i)\r" }
        text += "last: 1️⃣end\r"
        let m = MarkedText(text)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        #expect(r.root?.mapping?.count == 10_001)
        #expect(r.root?["last"]?.range.start == m[1])
    }

    @Test func utf8ByteOrderMarkCountsAsOneColumn() throws {
        let m = MarkedText("\u{FEFF}a: 1️⃣1\nb: 2️⃣2\n")
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        #expect(r.root?["a"]?.range.start == m[1])
        #expect(r.root?["b"]?.range.start == m[2])
        #expect(r.file.position(ofByte: m.offsets[1] ?? -1) == m[1])
    }
}

// MARK: - Styles and tags

@Suite struct YAMLLoaderStyleTests {
    @Test func flowStyle() throws {
        let m = MarkedText("1️⃣{a: 2️⃣[1, 3️⃣\"2\"]4️⃣, b: {c: d}, e: []}5️⃣\n")
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root.range.start == m[1])
        #expect(root.range.end == m[5])
        let a = try #require(root["a"])
        #expect(a.range.start == m[2])
        #expect(a.range.end == m[4])
        #expect(a.sequence?.map(\.text) == ["1", "2"])
        #expect(a.sequence?[1].scalar?.style == .doubleQuoted)
        #expect(a.sequence?[1].range.start == m[3])
        #expect(root["b"]?["c"]?.text == "d")
        #expect(root["e"]?.sequence?.isEmpty == true)
    }

    @Test func blockScalars() throws {
        let m = MarkedText(
            """
            lit: 1️⃣|
              line one
                indented2️⃣
            fold: >-
              folded
              text
            keep: |+
              kept3️⃣

            strip: |-
              gone
            single: 'it''s'
            end: x
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root["lit"]?.text == "line one\n  indented\n")
        #expect(root["lit"]?.scalar?.style == .literal)
        #expect(root["lit"]?.range.start == m[1])
        // libyaml ends block scalars at the next line; the range ends after the last character.
        #expect(root["lit"]?.range.end == m[2])
        #expect(root["keep"]?.range.end == m[3])
        #expect(root["fold"]?.text == "folded text")
        #expect(root["fold"]?.scalar?.style == .folded)
        #expect(root["keep"]?.text == "kept\n\n")
        #expect(root["strip"]?.text == "gone")
        #expect(root["single"]?.text == "it's")
        #expect(root["single"]?.scalar?.style == .singleQuoted)
        #expect(root["end"]?.scalar?.style == .plain)
    }

    @Test func explicitTagsKeepLibyamlLongForm() throws {
        let r = load(
            """
            a: !!str 42
            b: !!int "7"
            c: !custom x
            d: !!map {k: v}
            e: !!seq [1]
            f: 42
            g: !!null ""
            """)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        #expect(root["a"]?.scalar?.tag == "tag:yaml.org,2002:str")
        #expect(root["a"]?.tag == "tag:yaml.org,2002:str")
        #expect(root["a"]?.scalar?.resolvesToNonString == false)
        #expect(root["b"]?.scalar?.tag == "tag:yaml.org,2002:int")
        #expect(root["c"]?.tag == "!custom")
        #expect(root["d"]?.tag == "tag:yaml.org,2002:map")
        #expect(root["d"]?["k"]?.text == "v")
        #expect(root["e"]?.tag == "tag:yaml.org,2002:seq")
        #expect(root["f"]?.tag == nil)
        #expect(root["f"]?.scalar?.tag == nil)
        #expect(root["g"]?.isNull == true)
    }

    @Test func complexKeysAreKept() throws {
        let r = load("? [a, b]\n: c\n? {x: 1}\n: d\n")
        #expect(r.diagnostics.isEmpty)
        let pairs = try #require(r.root?.mapping)
        #expect(pairs.count == 2)
        #expect(pairs[0].key.sequence?.count == 2)
        #expect(pairs[1].value.text == "d")
    }
}

// MARK: - Anchors, aliases, merge keys

@Suite struct YAMLLoaderAliasTests {
    @Test func aliasIsACopyOfTheAnchoredNode() throws {
        let m = MarkedText(
            """
            base: 1️⃣&b {x: 1, y: [2, 3]}
            copy: *b
            s: &s hello
            t: *s
            list: [*s, *b]
            """)
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        let root = try #require(r.root)
        let copy = try #require(root["copy"])
        #expect(copy["x"]?.text == "1")
        #expect(copy["y"]?.sequence?.map(\.text) == ["2", "3"])
        // The copy keeps the anchored node's range.
        #expect(copy.range.start == m[1])
        #expect(root["t"]?.text == "hello")
        #expect(root["list"]?.sequence?.count == 2)
        #expect(root["list"]?.sequence?[1]["x"]?.text == "1")
    }

    @Test func unknownAlias() throws {
        let m = MarkedText("a: 1\nb: 1️⃣*nope\n")
        let r = load(m.text)
        #expect(r.failed)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "unknown alias `nope`")
        #expect(d.range.start == m[1])
        #expect(r.documents.isEmpty)
    }

    @Test func anchorsDoNotCrossDocuments() throws {
        let m = MarkedText("a: &x 1\n---\nb: 1️⃣*x\n")
        let r = load(m.text)
        #expect(r.documents.count == 1)
        #expect(r.errors.count == 1)
        #expect(r.errors.first?.range.start == m[1])
    }

    @Test func mergeKeysComeFirstAndExplicitKeysOverride() throws {
        let r = load(
            """
            defaults: &defaults
              timeout: 5s
              retries: 3
            other: &other
              retries: 9
              tls: true
            svc:
              name: a
              <<: [*defaults, *other]
              timeout: 10s
            """)
        #expect(r.diagnostics.isEmpty)
        let svc = try #require(r.root?["svc"])
        #expect(svc.mapping?.compactMap(\.key.text) == ["retries", "tls", "name", "timeout"])
        #expect(svc["retries"]?.text == "3")
        #expect(svc["tls"]?.text == "true")
        #expect(svc["timeout"]?.text == "10s")
        #expect(svc["<<"] == nil)
    }

    @Test func explicitKeyBeforeTheMergeStillWins() throws {
        let r = load(
            """
            a: &a {x: 1, y: 2}
            b:
              x: 5
              <<: *a
            c:
              <<: {z: 0}
              <<: *a
            """)
        #expect(r.diagnostics.isEmpty)
        let b = try #require(r.root?["b"])
        #expect(b["x"]?.text == "5")
        #expect(b["y"]?.text == "2")
        #expect(b.mapping?.count == 2)
        let c = try #require(r.root?["c"])
        #expect(c.mapping?.compactMap(\.key.text).sorted() == ["x", "y", "z"])
    }

    @Test func nestedMergesAndQuotedMergeKey() throws {
        let r = load(
            """
            base: &base {a: 1}
            mid: &mid
              <<: *base
              b: 2
            top:
              <<: *mid
              "<<": literal
            """)
        #expect(r.diagnostics.isEmpty)
        let top = try #require(r.root?["top"])
        #expect(top["a"]?.text == "1")
        #expect(top["b"]?.text == "2")
        #expect(top["<<"]?.text == "literal")
    }

    @Test func mergeOfAScalarIsAnError() throws {
        let m = MarkedText("s: &s text\nm:\n  1️⃣<<: *s\n")
        let r = load(m.text)
        #expect(r.failed)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "the merge key `<<` needs a mapping or a list of mappings, found a string")
        #expect(d.range.start == m[1])
    }
}

// MARK: - Duplicate keys

@Suite struct YAMLLoaderDuplicateKeyTests {
    @Test func duplicateKeyWarnsAtTheLaterKeyAndKeepsBoth() throws {
        let m = MarkedText(
            """
            metadata:
              1️⃣name: a
              labels: {}
              2️⃣name: b3️⃣
            """)
        let r = load(m.text)
        #expect(!r.failed)
        #expect(r.diagnostics.count == 1)
        let d = try #require(r.diagnostics.first)
        #expect(d.code == .duplicateKey)
        #expect(d.severity == .warning)
        #expect(d.message == "duplicate key `name`; the earlier value is ignored")
        #expect(d.range.start == m[2])
        #expect(d.notes.count == 2)
        #expect(d.notes[0].message == "first defined here")
        #expect(d.notes[0].range?.start == m[1])
        #expect(d.notes[1].message.contains("kubectl"))
        let metadata = try #require(r.root?["metadata"])
        #expect(metadata.mapping?.count == 3)
        #expect(metadata["name"]?.text == "b")
        #expect(metadata.range.end == m[3])
    }

    @Test func everyRepeatPointsAtTheFirstDefinition() throws {
        let m = MarkedText("{1️⃣a: 1, b: 2, 2️⃣a: 3, 3️⃣a: 4}")
        let r = load(m.text)
        #expect(r.diagnostics.map(\.range.start) == [m[2], m[3]])
        #expect(r.diagnostics.allSatisfy { $0.notes.first?.range?.start == m[1] })
        #expect(r.root?["a"]?.text == "4")
    }

    @Test func largeMappingsAreCheckedToo() throws {
        var text = ""
        for i in 0..<40 { text += "key\(i): \(i)\n" }
        text += "1️⃣key7: again\n"
        let m = MarkedText(text)
        let r = load(m.text)
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.range.start == m[1])
        #expect(r.diagnostics.first?.notes.first?.range?.start == SourcePosition(line: 8, column: 1))
        #expect(r.root?["key7"]?.text == "again")
    }

    @Test func sameKeyInDifferentMappingsIsFine() {
        let r = load("a: {name: x}\nb: {name: y}\nlist: [{k: 1}, {k: 2}]\n")
        #expect(r.diagnostics.isEmpty)
    }
}

// MARK: - Limits

@Suite struct YAMLLoaderLimitTests {
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
        """

    @Test func billionLaughsIsRefused() throws {
        let r = load("ok: 1\n---\n" + Self.billionLaughs)
        #expect(r.failed)
        #expect(r.errors.count == 1)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.message.hasSuffix("over the limit of \(YAMLLimits.default.maxAliasExpansion)"))
        #expect(d.message.hasPrefix("aliases copy "))
        #expect(d.range.start.line > 3)
        // Only the document before the bomb comes back.
        #expect(r.documents.count == 1)
        #expect(r.documents.map { nodeCount($0.root) }.reduce(0, +) <= YAMLLimits.default.maxAliasExpansion)
    }

    @Test func aliasExpansionLimitIsExact() throws {
        let text = """
            a: &a [0, 1, 2, 3, 4, 5, 6, 7, 8]
            b: [*a, *a, *a, *a, *a, *a, *a, *a, 1️⃣*a]
            """
        let m = MarkedText(text)
        var limits = YAMLLimits()
        limits.maxAliasExpansion = 90  // nine copies of ten nodes
        let ok = load(m.text, limits: limits)
        #expect(ok.diagnostics.isEmpty)
        #expect(nodeCount(ok.root) == 1 + 1 + 10 + 1 + 1 + 90)
        limits.maxAliasExpansion = 89
        let refused = load(m.text, limits: limits)
        #expect(refused.errors.map(\.code) == [.inputLimit])
        #expect(refused.errors.first?.range.start == m[1])
        #expect(refused.documents.isEmpty)
    }

    @Test func deepFlowSequencesStopAtTheLimit() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let r = load(text)
        #expect(r.failed)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.message == "nesting is deeper than the limit of 256 levels")
        #expect(d.range.start == SourcePosition(line: 1, column: 257))
        #expect(r.documents.isEmpty)
    }

    @Test func deepFlowMappingsStopAtTheLimit() throws {
        let text = String(repeating: "{a: ", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let r = load(text)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.range.start == SourcePosition(line: 1, column: 256 * 4 + 1))
    }

    @Test func deepBlockSequencesStopAtTheLimit() throws {
        let text = String(repeating: "- ", count: 10_000) + "x\n"
        let r = load(text)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.range.start == SourcePosition(line: 1, column: 256 * 2 + 1))
    }

    @Test func deepNestingWithoutLimitErrorsIsStillIterative() throws {
        var limits = YAMLLimits()
        limits.maxDepth = 20_000
        let text = String(repeating: "[", count: 10_000) + "x" + String(repeating: "]", count: 10_000)
        let r = load(text, limits: limits)
        #expect(r.diagnostics.isEmpty)
        #expect(nestingDepth(r.root) == 10_000)
    }

    @Test func blockNestingLimitPointsAtTheNodeThatGoesTooDeep() throws {
        let m = MarkedText(
            """
            a:
              b:
                - 1️⃣c:
                    d: 1
            """)
        var limits = YAMLLimits()
        limits.maxDepth = 3
        let r = load(m.text, limits: limits)
        #expect(r.errors.map(\.code) == [.inputLimit])
        #expect(r.errors.first?.message == "nesting is deeper than the limit of 3 levels")
        #expect(r.errors.first?.range.start == m[1])
        limits.maxDepth = 5
        #expect(load(m.text, limits: limits).diagnostics.isEmpty)
    }

    @Test func aliasesCannotBuildDeeperTreesThanTheLimit() throws {
        let m = MarkedText("a: &a [[[x]]]\nb: [1️⃣*a]\n")
        var limits = YAMLLimits()
        limits.maxDepth = 4
        let r = load(m.text, limits: limits)
        #expect(r.errors.map(\.code) == [.inputLimit])
        #expect(r.errors.first?.message == "alias `a` makes the nesting deeper than the limit of 4 levels")
        #expect(r.errors.first?.range.start == m[1])
        limits.maxDepth = 5
        let ok = load(m.text, limits: limits)
        #expect(ok.diagnostics.isEmpty)
        #expect(nestingDepth(ok.root) == 5)
    }

    @Test func scalarAboveTheLimit() throws {
        let m = MarkedText("ok: 0123456789\nbad: 1️⃣01234567890\n")
        var limits = YAMLLimits()
        limits.maxScalarBytes = 10
        let r = load(m.text, limits: limits)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.message == "scalar is 11 bytes, over the limit of 10 bytes")
        #expect(d.range.start == m[1])
        #expect(r.documents.isEmpty)
    }

    @Test func fileAboveTheSizeLimit() throws {
        var limits = YAMLLimits()
        limits.maxFileBytes = 8
        let r = load("a: 123456", limits: limits)
        #expect(r.failed)
        #expect(r.documents.isEmpty)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.message == "file is 9 bytes, over the limit of 8 bytes")
        #expect(d.range.start == SourcePosition(line: 1, column: 1))
        #expect(load("a: 12345", limits: limits).diagnostics.isEmpty)
    }

    @Test func nodeCountLimitIsPerDocument() throws {
        let m = MarkedText("[1, 2, 3, 4]\n---\n[1, 2, 3, 4, 1️⃣5]\n")
        var limits = YAMLLimits()
        limits.maxNodesPerDocument = 5
        let r = load(m.text, limits: limits)
        #expect(r.documents.count == 1)
        let d = try #require(r.errors.first)
        #expect(d.code == .inputLimit)
        #expect(d.message == "document has 6 nodes, over the limit of 5")
        #expect(d.range.start == m[1])
    }
}

// MARK: - Malformed input

@Suite struct YAMLLoaderErrorTests {
    @Test func emptyAndCommentOnlyFilesHaveNoDocuments() {
        for text in ["", "   \n\n", "# just a comment\n# and another\n", "\n# c\n   # indented\n"] {
            let r = load(text)
            #expect(r.documents.isEmpty, "\(text.debugDescription)")
            #expect(r.diagnostics.isEmpty, "\(text.debugDescription)")
            #expect(!r.failed)
        }
    }

    @Test func emptyDocumentsBetweenSeparators() throws {
        let m = MarkedText("---\n---\n1️⃣a: 1\n---\n# only a comment\n---\n--- \"\"\n--- ~\n")
        let r = load(m.text)
        #expect(r.diagnostics.isEmpty)
        #expect(r.documents.count == 6)
        #expect(r.documents.map(\.index) == Array(0..<6))
        #expect(r.documents[0].root == nil)
        #expect(r.documents[1].root?.range.start == m[1])
        #expect(r.documents[2].root == nil)
        #expect(r.documents[3].root == nil)
        #expect(r.documents[4].root?.text == "")
        #expect(r.documents[4].root?.scalar?.style == .doubleQuoted)
        #expect(r.documents[5].root?.isNull == true)
    }

    @Test func mappingValuesNotAllowed() throws {
        let m = MarkedText("key: value\nbad: a1️⃣: b\n")
        let r = load(m.text)
        #expect(r.failed)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "mapping values are not allowed in this context")
        #expect(d.range.start == m[1])
        #expect(r.documents.isEmpty)
    }

    @Test func unclosedFlowSequenceHasAContextNote() throws {
        let m = MarkedText("ports: 1️⃣[80, 443\nnext2️⃣: 3\n")
        let r = load(m.text)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "did not find expected ',' or ']' while parsing a flow sequence")
        #expect(d.range.start == m[2])
        #expect(d.notes.first?.message == "the flow sequence starts here")
        #expect(d.notes.first?.range?.start == m[1])
    }

    @Test func unterminatedQuotedScalar() throws {
        let m = MarkedText("a: 1\nb: 1️⃣\"never closed\n2️⃣")
        let r = load(m.text)
        let d = try #require(r.errors.first)
        #expect(d.message == "found unexpected end of stream while scanning a quoted scalar")
        #expect(d.range.start == m[2])
        #expect(d.notes.first?.message == "the quoted scalar starts here")
        #expect(d.notes.first?.range?.start == m[1])
    }

    @Test func badIndentation() throws {
        let m = MarkedText("a:\n  b: 1\n 1️⃣c: 2\n")
        let r = load(m.text)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.range.start == m[1])
        #expect(d.message == "did not find expected key while parsing a block mapping")
        #expect(d.notes.first?.range?.start == SourcePosition(line: 1, column: 1))
    }

    @Test func tabIndentation() throws {
        let m = MarkedText("a:\n1️⃣\tb: 1\n")
        let r = load(m.text)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.range.start == m[1])
        #expect(d.message.hasPrefix("found character that cannot start any token"))
        #expect(!d.message.hasSuffix("."))
    }

    @Test func errorInALaterDocumentKeepsEarlierDocuments() throws {
        let r = load("a: 1\n---\nb: [\n")
        #expect(r.documents.count == 1)
        #expect(r.documents.first?.root?["a"]?.text == "1")
        #expect(r.failed)
        #expect(r.errors.count == 1)
    }

    @Test func invalidUTF8AtAKnownPosition() throws {
        let m = MarkedText("a: ø\nb: €x1️⃣ tail\n")
        var bytes = Array(m.text.utf8)
        bytes.insert(0xFF, at: try #require(m.offsets[1]))
        let r = load(bytes: bytes)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "invalid leading UTF-8 octet (byte 0xFF)")
        #expect(d.range.start == m[1])
        #expect(d.range.start == SourcePosition(line: 2, column: 6))
    }

    @Test func truncatedUTF8AtTheEnd() throws {
        let m = MarkedText("a: b\nc: 1️⃣")
        let r = load(bytes: Array(m.text.utf8) + [0xE2, 0x82])
        let d = try #require(r.errors.first)
        #expect(d.message == "incomplete UTF-8 octet sequence")
        #expect(d.range.start == m[1])
    }

    @Test func nulBytesAreControlCharacters() throws {
        let m = MarkedText("a: 1\nb: x1️⃣\0y\n")
        let r = load(m.text)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "control characters are not allowed (U+0000)")
        #expect(d.range.start == m[1])
    }

    @Test func utf16IsRefused() throws {
        let utf16LE: [UInt8] = [0xFF, 0xFE] + Array("a: 1\n".utf8).flatMap { [$0, 0] }
        let r = load(bytes: utf16LE)
        let d = try #require(r.errors.first)
        #expect(d.code == .yamlSyntax)
        #expect(d.message == "file is encoded as UTF-16; only UTF-8 is supported")
        #expect(d.range.start == SourcePosition(line: 1, column: 1))
        #expect(r.documents.isEmpty)

        let utf16BE: [UInt8] = [0xFE, 0xFF] + Array("a: 1\n".utf8).flatMap { [0, $0] }
        #expect(load(bytes: utf16BE).errors.first?.message == "file is encoded as UTF-16; only UTF-8 is supported")

        // Without a byte order mark: NUL bytes, with a hint.
        let bare = load(bytes: Array("a: 1\n".utf8).flatMap { [$0, 0] })
        #expect(bare.errors.first?.code == .yamlSyntax)
        #expect(bare.errors.first?.notes.contains { $0.message.contains("UTF-16") } == true)
    }

    @Test func binaryGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 0xF70D)
        for _ in 0..<3000 {
            let count = Int.random(in: 1...200, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) {
                // Mostly-text garbage gets further into the scanner and parser.
                let alphabet = Array("ab:- \n[]{},&*!|>'\"#?%@`\t.~".utf8)
                bytes = bytes.map { $0 < 200 ? alphabet[Int($0) % alphabet.count] : $0 }
            }
            checkGarbage(bytes)
        }
    }

    @Test func mutatedYAMLNeverCrashes() {
        let seed = Array(
            """
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: reviews, namespace: default}
            spec:
              hosts: [reviews]
              http:
              - match:
                - headers: {end-user: {exact: jason}}
                route: &r
                - destination: {host: reviews, subset: v2}
              - route: *r
              x: &m {a: 1}
              y: {<<: *m, b: |
                  text
                }
            """.utf8)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            checkGarbage(bytes)
        }
    }

    private func checkGarbage(_ bytes: [UInt8]) {
        let r = load(bytes: bytes)
        if r.failed { #expect(!r.errors.isEmpty) }
        if !r.errors.isEmpty { #expect(r.failed) }
        #expect(!(r.documents.isEmpty && r.diagnostics.isEmpty) || isBlank(bytes), "\(bytes)")
        for d in r.diagnostics {
            #expect(d.range.start.line >= 1 && d.range.start.line <= r.file.lineCount + 1)
            #expect(d.range.start.column >= 1)
            #expect(!d.message.isEmpty && !d.message.hasSuffix("."))
        }
    }

    /// Whether a stream holds nothing but blank lines, comments and `...` markers.
    private func isBlank(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }).allSatisfy { line in
            let t = line.drop(while: { $0 == " " || $0 == "\t" || $0 == "\u{FEFF}" })
            return t.isEmpty || t.hasPrefix("#") || t.hasPrefix("...")
        }
    }
}

// MARK: - Many files and the event scan

@Suite struct YAMLLoaderAPITests {
    @Test func loadsManyInputsIntoASourceManager() throws {
        var sources = SourceManager()
        var diagnostics: [Diagnostic] = []
        let result = YAMLLoader.load(
            [
                InputFile(path: "a.yaml", bytes: Array("a: 1\n---\nb: 2\n".utf8)),
                InputFile(path: "bad.yaml", bytes: Array("x: [\n".utf8)),
                InputFile(path: "c.yaml", bytes: Array("c: 3\n".utf8)),
            ],
            into: &sources
        ) { diagnostics.append($0) }
        #expect(sources.files.map(\.path) == ["a.yaml", "bad.yaml", "c.yaml"])
        #expect(result.documents.count == 3)
        #expect(result.documents.map(\.file) == [FileID(0), FileID(0), FileID(2)])
        #expect(result.failedFiles == [FileID(1)])
        #expect(result.failed)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.range.file == FileID(1))
    }

    @Test func loadReturnsTheDocuments() {
        let file = SourceFile(id: FileID(3), path: "x.yaml", text: "a: 1\n")
        let docs = YAMLLoader.load(file) { _ in }
        #expect(docs.count == 1)
        #expect(docs.first?.root?.range.file == FileID(3))
    }

    @Test func scanEventsCountsLibyamlEvents() {
        // STREAM-START DOCUMENT-START MAPPING-START SCALAR SCALAR MAPPING-END DOCUMENT-END STREAM-END
        #expect(YAMLLoader.scanEvents(Array("a: 1\n".utf8)) == 8)
        #expect(YAMLLoader.scanEvents(Array("- [a, b]\n".utf8)) == 10)
        // Stops at an error.
        #expect(YAMLLoader.scanEvents(Array("a: [\n".utf8)) < 8)
    }
}

/// Why a pattern was rejected, where, and in whose words.
///
/// `message` is the text of Go's `regexp/syntax` (the RE2 parser Istio's validation runs, so the
/// words an Istio user already knows); `code.re2Message` is the C++ RE2 wording Envoy logs.
/// `offset` and `length` are UTF-8 byte offsets into the pattern and delimit `fragment`, the
/// offending piece (`**`, `\i`, `[z-a]`, the unclosed `(`).
public struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem. A struct over a private enum so kinds can be added.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Kind: Sendable, Hashable {
            case invalidCharClass, invalidCharRange, invalidEscape, invalidNamedCapture
            case invalidPerlOp, invalidRepeatOp, invalidRepeatSize, missingBracket, missingParen
            case missingRepeatArgument, trailingBackslash, unexpectedParen, nestingDepth, tooLarge
        }

        fileprivate let kind: Kind

        /// `[[:foo:]`-like malformed classes (kept for parity with RE2; rarely produced).
        public static let invalidCharClass = Code(kind: .invalidCharClass)
        /// `[z-a]`, `\p{Foo}`, `[[:foo:]]`.
        public static let invalidCharRange = Code(kind: .invalidCharRange)
        /// `\i`, `\1`, `\Z`, `\C`, `\x{110000}`.
        public static let invalidEscape = Code(kind: .invalidEscape)
        /// `(?P<>x)`, `(?P<a-b>x)`, a duplicate group name.
        public static let invalidNamedCapture = Code(kind: .invalidNamedCapture)
        /// `(?=`, `(?!`, `(?<=`, `(?<!`, `(?>`, `(?#`, unknown flags.
        public static let invalidPerlOp = Code(kind: .invalidPerlOp)
        /// `**`, `*+` (possessive), `{2}{3}`.
        public static let invalidRepeatOp = Code(kind: .invalidRepeatOp)
        /// `{1001}`, `{3,2}`, nested counts whose product exceeds 1000.
        public static let invalidRepeatSize = Code(kind: .invalidRepeatSize)
        /// `[abc` without `]`.
        public static let missingBracket = Code(kind: .missingBracket)
        /// `(abc` without `)`.
        public static let missingParen = Code(kind: .missingParen)
        /// `*abc`, `(+)`, `a|*`.
        public static let missingRepeatArgument = Code(kind: .missingRepeatArgument)
        /// A pattern ending in a single `\`.
        public static let trailingBackslash = Code(kind: .trailingBackslash)
        /// `abc)`.
        public static let unexpectedParen = Code(kind: .unexpectedParen)
        /// More than `RegexParser.maxNestingDepth` nested groups.
        public static let nestingDepth = Code(kind: .nestingDepth)
        /// A program larger than `RegexParser.maxProgramSize`. This is Fjord's own resource limit,
        /// not an RE2 syntax rule: Envoy may accept the pattern (RE2 counts its program
        /// differently), so callers may report it as "cannot analyse" rather than as invalid.
        public static let tooLarge = Code(kind: .tooLarge)

        /// Go `regexp/syntax` wording (what Istio's validation prints).
        public var message: String {
            switch kind {
            case .invalidCharClass: "invalid character class"
            case .invalidCharRange: "invalid character class range"
            case .invalidEscape: "invalid escape sequence"
            case .invalidNamedCapture: "invalid named capture"
            case .invalidPerlOp: "invalid or unsupported Perl syntax"
            case .invalidRepeatOp: "invalid nested repetition operator"
            case .invalidRepeatSize: "invalid repeat count"
            case .missingBracket: "missing closing ]"
            case .missingParen: "missing closing )"
            case .missingRepeatArgument: "missing argument to repetition operator"
            case .trailingBackslash: "trailing backslash at end of expression"
            case .unexpectedParen: "unexpected )"
            case .nestingDepth: "expression nests too deeply"
            case .tooLarge: "expression too large"
            }
        }

        /// C++ RE2 wording (what Envoy logs), for the same problem.
        public var re2Message: String {
            switch kind {
            case .invalidCharClass: "invalid character class"
            case .invalidCharRange: "invalid character class range"
            case .invalidEscape: "invalid escape sequence"
            case .invalidNamedCapture: "invalid named capture group"
            case .invalidPerlOp: "invalid perl operator"
            case .invalidRepeatOp: "bad repetition operator"
            case .invalidRepeatSize: "invalid repetition size"
            case .missingBracket: "missing ]"
            case .missingParen: "missing )"
            case .missingRepeatArgument: "no argument for repetition operator"
            case .trailingBackslash: "trailing \\"
            case .unexpectedParen: "unexpected )"
            case .nestingDepth: "expression nests too deeply"
            case .tooLarge: "pattern too large - compile failed"
            }
        }

        public var description: String { message }

        /// Whether RE2 itself rejects such patterns (false only for Fjord's own `tooLarge` limit).
        public var isRE2SyntaxError: Bool { kind != .tooLarge }
    }

    /// The kind of problem.
    public var code: Code
    /// UTF-8 byte offset of the offending piece in the pattern.
    public var offset: Int
    /// UTF-8 byte length of the offending piece (at least 1 unless the pattern is empty).
    public var length: Int
    /// The offending piece itself.
    public var fragment: String
    /// Extra help, for example "backreferences are not supported by RE2"; lowercase, no period.
    public var note: String?

    /// An error of kind `code` about `fragment`, found at UTF-8 byte `offset` with byte `length`.
    public init(code: Code, offset: Int, length: Int, fragment: String, note: String? = nil) {
        self.code = code
        self.offset = offset
        self.length = length
        self.fragment = fragment
        self.note = note
    }

    /// The message in Go `regexp/syntax` words, without the fragment.
    public var message: String { code.message }

    /// `message: `fragment``, as Go's regexp prints it.
    public var description: String { "\(code.message): `\(fragment)`" }
}

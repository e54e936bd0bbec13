/// A 1-based line and column (columns count Unicode scalars).
public struct SourcePosition: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public static func < (a: SourcePosition, b: SourcePosition) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }
    public var description: String { "\(line):\(column)" }
}

/// A span of source text: from `start` up to (not including) `end`.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var file: FileID
    public var start: SourcePosition
    public var end: SourcePosition

    public init(file: FileID, start: SourcePosition, end: SourcePosition) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// A range for values that have no source text (defaults, synthesised values).
    public static let synthetic = SourceRange(
        file: .synthetic, start: SourcePosition(line: 0, column: 0), end: SourcePosition(line: 0, column: 0))

    public var isSynthetic: Bool { file == .synthetic }

    /// The smallest range covering both (which must be in the same file).
    public func union(_ other: SourceRange) -> SourceRange {
        guard other.file == file else { return self }
        return SourceRange(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(file):\(start)-\(end)" }
}

/// A value together with the source range it came from.
///
/// The range is metadata: it takes no part in `==` or hashing, so two equal values written in
/// different places compare equal.
public struct Located<Value> {
    public var value: Value
    public var range: SourceRange

    public init(_ value: Value, _ range: SourceRange = .synthetic) {
        self.value = value
        self.range = range
    }

    public func map<T>(_ f: (Value) throws -> T) rethrows -> Located<T> {
        Located<T>(try f(value), range)
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {
    public static func == (a: Located, b: Located) -> Bool { a.value == b.value }
}
extension Located: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
extension Located: CustomStringConvertible {
    public var description: String { "\(value)" }
}

/// A property stored with a model node that takes no part in the node's `==` or hashing.
///
/// Model types mark their ranges `@NotCompared` so that synthesised `Equatable`/`Hashable`
/// compare values, not where they were written.
@propertyWrapper
public struct NotCompared<Value>: Hashable {
    public var wrappedValue: Value
    public init(wrappedValue: Value) { self.wrappedValue = wrappedValue }
    public static func == (a: NotCompared, b: NotCompared) -> Bool { true }
    public func hash(into hasher: inout Hasher) {}
}

extension NotCompared: Sendable where Value: Sendable {}

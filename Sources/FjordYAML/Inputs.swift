#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One input read from disk or stdin: its display path and its bytes.
public struct InputFile: Sendable, Hashable {
    /// The path as the user gave it (or as found under a directory they gave), or `<stdin>`.
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// An input that could not be read: which path, and why (lowercase, no trailing period).
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`
    public var description: String { "\(path): \(message)" }
}

/// What ``InputDiscovery/read(_:maxFileBytes:standardInput:)`` found.
public struct InputSet: Sendable {
    /// The files read, in argument order; the files under a directory in sorted order.
    public var files: [InputFile] = []
    /// The paths that could not be read, in argument order.
    public var errors: [InputError] = []

    public init(files: [InputFile] = [], errors: [InputError] = []) {
        self.files = files
        self.errors = errors
    }
}

/// Turns the user's path arguments into input files.
public enum InputDiscovery {
    /// The argument that names standard input.
    public static let stdinArgument = "-"
    /// The display path of standard input.
    public static let stdinPath = "<stdin>"

    /// Reads the inputs named by `arguments`.
    ///
    /// - A file is read whatever its extension.
    /// - A directory is walked recursively for `*.yaml` and `*.yml` files, in byte-wise sorted
    ///   order of names, skipping entries whose name starts with `.`; symbolic links are followed,
    ///   each directory is visited once. A directory with no such file is an error.
    /// - `-` reads standard input (once, however often it is named) as `<stdin>`.
    /// - A path named twice (or found twice) is read once.
    ///
    /// A file larger than `maxFileBytes` is reported without being read in full.
    public static func read(
        _ arguments: [String], maxFileBytes: Int = YAMLLimits.default.maxFileBytes,
        standardInput: Int32 = STDIN_FILENO
    ) -> InputSet {
        var walker = Walker(maxFileBytes: maxFileBytes)
        var stdinRead = false
        for argument in arguments {
            if argument == stdinArgument {
                if stdinRead { continue }
                stdinRead = true
                switch readAll(fd: standardInput, knownSize: nil, maxBytes: maxFileBytes) {
                case .success(let bytes): walker.result.files.append(InputFile(path: stdinPath, bytes: bytes))
                case .failure(let e): walker.result.errors.append(InputError(path: stdinPath, message: e.message))
                }
                continue
            }
            walker.visitArgument(argument)
        }
        return walker.result
    }

    // MARK: Reading

    struct ReadFailure: Error {
        var message: String
    }

    static func sizeMessage(_ size: Int, _ limit: Int) -> String {
        "file is \(size) bytes, over the limit of \(limit) bytes"
    }

    /// Reads `fd` to its end, refusing more than `maxBytes`.
    static func readAll(fd: Int32, knownSize: Int?, maxBytes: Int) -> Result<[UInt8], ReadFailure> {
        var bytes: [UInt8] = []
        if let knownSize { bytes.reserveCapacity(min(knownSize, maxBytes) + 1) }
        let chunk = 1 << 16
        var buffer = [UInt8](repeating: 0, count: chunk)
        while true {
            let n = buffer.withUnsafeMutableBytes { raw in
                systemRead(fd, raw.baseAddress, chunk)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(ReadFailure(message: errnoMessage(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > maxBytes {
                let size = knownSize.map { max($0, bytes.count) }
                return .failure(
                    ReadFailure(
                        message: size.map { sizeMessage($0, maxBytes) }
                            ?? "input is over the limit of \(maxBytes) bytes"))
            }
        }
        return .success(bytes)
    }

    static func errnoMessage(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or directory"
        case EACCES: return "permission denied"
        case ENOTDIR: return "not a directory"
        case EISDIR: return "is a directory"
        default:
            guard let c = strerror(code) else { return "error \(code)" }
            var s = String(cString: c)
            if let first = s.first, first.isUppercase { s = first.lowercased() + s.dropFirst() }
            while s.hasSuffix(".") { s.removeLast() }
            return s
        }
    }
}

/// Calls the C `read` without clashing with any Swift `read` in scope.
@inline(__always)
private func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    read(fd, buf, count)
}

private struct FileKey: Hashable {
    var device: UInt64
    var inode: UInt64
}

private struct Walker {
    let maxFileBytes: Int
    var result = InputSet()
    var visitedDirectories = Set<FileKey>()
    var readFiles = Set<FileKey>()
    /// YAML files (and unreadable directories) met while walking, read or not.
    var found = 0

    init(maxFileBytes: Int) {
        self.maxFileBytes = maxFileBytes
    }

    mutating func visitArgument(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            result.errors.append(InputError(path: path, message: InputDiscovery.errnoMessage(errno)))
            return
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            let before = found
            walk(path, st)
            if found == before {
                result.errors.append(InputError(path: path, message: "is a directory with no .yaml or .yml files"))
            }
        } else {
            readFile(path, st)
        }
    }

    /// Depth-first, names sorted; the call depth is bounded by the file system's path length.
    private mutating func walk(_ directory: String, _ st: stat) {
        guard visitedDirectories.insert(key(st)).inserted else { return }
        guard let dir = opendir(directory) else {
            found += 1
            result.errors.append(InputError(path: directory, message: InputDiscovery.errnoMessage(errno)))
            return
        }
        var names: [String] = []
        while let entry = readdir(dir) {
            // Read `d_name` in place, up to its NUL: a record is only `d_reclen` bytes long, and
            // copying the whole fixed-size field read past the end of readdir's buffer (SIGSEGV
            // when that buffer ends at a page boundary: seen with the 2,001-file benchmark mesh).
            let namePointer = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let nameLength = strlen(namePointer.assumingMemoryBound(to: CChar.self))
            let name = String(decoding: UnsafeRawBufferPointer(start: namePointer, count: nameLength), as: UTF8.self)
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(dir)
        names.sort { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names {
            let path = prefix + name
            var child = stat()
            // Follows symbolic links; a dangling link is skipped like any non-YAML entry.
            guard stat(path, &child) == 0 else { continue }
            switch child.st_mode & S_IFMT {
            case S_IFDIR:
                walk(path, child)
            case S_IFREG where name.hasSuffix(".yaml") || name.hasSuffix(".yml"):
                found += 1
                readFile(path, child)
            default:
                continue
            }
        }
    }

    private mutating func readFile(_ path: String, _ st: stat) {
        let isRegular = (st.st_mode & S_IFMT) == S_IFREG
        if isRegular {
            guard readFiles.insert(key(st)).inserted else { return }
            let size = Int(st.st_size)
            if size > maxFileBytes {
                result.errors.append(InputError(path: path, message: InputDiscovery.sizeMessage(size, maxFileBytes)))
                return
            }
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            result.errors.append(InputError(path: path, message: InputDiscovery.errnoMessage(errno)))
            return
        }
        defer { close(fd) }
        switch InputDiscovery.readAll(fd: fd, knownSize: isRegular ? Int(st.st_size) : nil, maxBytes: maxFileBytes) {
        case .success(let bytes): result.files.append(InputFile(path: path, bytes: bytes))
        case .failure(let e): result.errors.append(InputError(path: path, message: e.message))
        }
    }

    private func key(_ st: stat) -> FileKey {
        FileKey(device: UInt64(truncatingIfNeeded: st.st_dev), inode: UInt64(truncatingIfNeeded: st.st_ino))
    }
}

import FjordSource
import FjordYAML

/// Inputs that are sources of manifests rather than manifests: Helm charts (`Chart.yaml` and
/// everything below it), files with Helm template actions (`{{ .Values.x }}`) and kustomize
/// directories (`kustomization.yaml`). Checking them as they are gives YAML syntax errors or
/// partial resources; FJ1041 says how to render them and pipe them in.
struct UnrenderedInputs {
    /// The file the diagnostic points at (Chart.yaml, kustomization.yaml, the template).
    var reportedFile: InputFile
    /// The directory (or the template file) as the user knows it.
    var displayPath: String
    var what: String
    var command: String
    /// Every input file left out.
    var paths: [String]
    /// Where the diagnostic points: the first template action, else the start of the file.
    var line = 1
    var column = 1
    var length = 0

    var skippedFiles: Int { paths.count }

    func range(in file: SourceFile) -> SourceRange {
        SourceRange(
            file: file.id, start: .init(line: line, column: column), end: .init(line: line, column: column + length))
    }

    static let kustomizationNames: Set<String> = ["kustomization.yaml", "kustomization.yml", "Kustomization"]

    static func find(in files: [InputFile]) -> [UnrenderedInputs] {
        var out: [UnrenderedInputs] = []
        var claimed = Set<String>()
        // Directories first: a chart or kustomization claims every file below its directory.
        let roots = files.compactMap { f -> (InputFile, String, Bool)? in
            let name = baseName(f.path)
            if name == "Chart.yaml" { return (f, directory(f.path), true) }
            if kustomizationNames.contains(name) { return (f, directory(f.path), false) }
            return nil
        }.sorted { $0.1.count < $1.1.count }
        for (file, dir, isChart) in roots where !claimed.contains(file.path) {
            let prefix = dir.isEmpty ? "" : dir + "/"
            let below = files.filter { prefix.isEmpty || $0.path.hasPrefix(prefix) }.map(\.path).filter {
                !claimed.contains($0)
            }
            claimed.formUnion(below)
            let shown = dir.isEmpty ? "." : dir
            out.append(
                UnrenderedInputs(
                    reportedFile: file, displayPath: shown, what: isChart ? "a Helm chart" : "a kustomize directory",
                    command: isChart ? "helm template \(shown)" : "kustomize build \(shown)", paths: below))
        }
        // Single files with template actions.
        for f in files where !claimed.contains(f.path) {
            guard let (line, column, length) = templateAction(in: f.bytes) else { continue }
            claimed.insert(f.path)
            out.append(
                UnrenderedInputs(
                    reportedFile: f, displayPath: f.path, what: "a Helm template",
                    command: "helm template CHART --show-only \(f.path.hasPrefix("/") ? baseName(f.path) : f.path)",
                    paths: [f.path], line: line, column: column, length: length))
        }
        return out
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    static func directory(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    /// The first `{{ ... }}` on a line that starts a Go template action Helm writes (`{{ .Values`,
    /// `{{- if`, `{{ include`, `{{ end }}`, ...): (line, column, length), 1-based, in bytes of
    /// ASCII (the markers are ASCII; the column counts scalars up to the marker).
    static func templateAction(in bytes: [UInt8]) -> (Int, Int, Int)? {
        let open: [UInt8] = Array("{{".utf8)
        let words = [
            ".", "$", "include", "if", "else", "end", "range", "with", "define", "template", "toYaml", "tpl",
            "required",
            "default", "quote", "printf", "/*",
        ]
        var line = 1
        var column = 1
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                column = 1
                i += 1
                continue
            }
            if b == open[0], i + 1 < n, bytes[i + 1] == open[1] {
                var j = i + 2
                if j < n, bytes[j] == UInt8(ascii: "-") { j += 1 }
                while j < n, bytes[j] == 0x20 { j += 1 }
                var rest = ""
                var k = j
                while k < n, k < j + 12, bytes[k] != 0x0A {
                    rest.unicodeScalars.append(Unicode.Scalar(bytes[k]))
                    k += 1
                }
                // The action must close on the same line.
                var close = i + 2
                var closed = false
                while close + 1 < n, bytes[close] != 0x0A {
                    if bytes[close] == UInt8(ascii: "}"), bytes[close + 1] == UInt8(ascii: "}") {
                        closed = true
                        break
                    }
                    close += 1
                }
                if closed, words.contains(where: { rest.hasPrefix($0) }) {
                    return (line, column, close + 2 - i)
                }
            }
            // Count scalars, not bytes: skip UTF-8 continuation bytes.
            if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return nil
    }
}

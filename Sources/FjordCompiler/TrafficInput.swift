import FjordModel
import FjordYAML

public typealias ObservedCall = FjordModel.ObservedCall

/// `--traffic FILE`: calls observed in the running mesh (CSV with the header
/// `source_namespace,source_workload,destination_service,port`), evidence of who calls whom.
public enum TrafficInput {
    /// Reads and parses the file; the error is a message for the command line.
    public static func load(path: String, maxFileBytes: Int) -> Result<[ObservedCall], TrafficInputError> {
        let inputs = InputDiscovery.read([path], maxFileBytes: maxFileBytes)
        if let e = inputs.errors.first {
            return .failure(TrafficInputError(description: "cannot read --traffic file `\(e.path)`: \(e.message)"))
        }
        guard let file = inputs.files.first else {
            return .failure(TrafficInputError(description: "cannot read --traffic file `\(path)`"))
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return .failure(TrafficInputError(description: "--traffic file `\(path)` is not UTF-8 text"))
        }
        do {
            return .success(try ObservedTraffic.parse(text, file: path))
        } catch let e as ObservedTraffic.ParseError {
            return .failure(TrafficInputError(description: e.description))
        } catch {
            return .failure(TrafficInputError(description: "\(error)"))
        }
    }
}

public struct TrafficInputError: Error, CustomStringConvertible {
    public var description: String
}

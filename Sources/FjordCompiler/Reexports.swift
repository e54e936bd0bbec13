import FjordChecks

@_exported import struct FjordBasics.SplitMix64
@_exported import struct FjordModel.MeshRequest
@_exported import enum FjordModel.ProxyScope

/// The command layer imports only FjordCompiler and FjordDiagnostics; these names are its view of
/// the checks.
public typealias IstioVersion = FjordChecks.IstioVersion
public typealias CheckMetadata = FjordChecks.CheckMetadata

public enum CheckCatalog {
    /// Metadata of every registered check, sorted by code.
    public static var checks: [CheckMetadata] { CheckRegistry.all.map { $0.metadata } }
}

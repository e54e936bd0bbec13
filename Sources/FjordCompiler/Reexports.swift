import FjordChecks

@_exported import struct FjordBasics.SplitMix64
// `fjord diff` renders these.
@_exported import enum FjordDecision.RouteDiff
@_exported import struct FjordModel.MeshRequest
@_exported import enum FjordModel.ProxyScope
@_exported import struct FjordModel.ResourceKey
@_exported import struct FjordSource.SourceManager
@_exported import struct FjordSource.SourceRange
@_exported import struct FjordTable.ActionRecord
@_exported import struct FjordTable.DecisionRecord
@_exported import struct FjordTable.DestinationRecord
@_exported import struct FjordTable.RuleRef

/// The command layer imports only FjordCompiler and FjordDiagnostics; these names are its view of
/// the checks.
public typealias IstioVersion = FjordChecks.IstioVersion
public typealias CheckMetadata = FjordChecks.CheckMetadata

public enum CheckCatalog {
    /// Metadata of every registered check, sorted by code.
    public static var checks: [CheckMetadata] { CheckRegistry.all.map { $0.metadata } }
}

// swift-format-ignore-file
// Generated from grammar/config.yaml by `make generate`. Do not edit.
// The configuration file is validated against this copy (Schema.configuration).

let embeddedConfigSchemaSource = #"""
# The schema of Fjord's configuration file, `.fjord.yaml` (docs/ci.md, "Configuration file").
#
# Same type expressions as grammar/schema.yaml. It is embedded into
# `Sources/FjordFrontend/ConfigSchema.generated.swift` by `make generate` (a test fails when the
# copy is stale), and a `.fjord.yaml` is validated against the type `FjordConfig` exactly like an
# input document: an unknown key is FJ1003 with a suggestion, a wrong type or value FJ1004.
kinds: {}
types:
  FjordConfig:
    # Codes not to report, like `--disable` (`FJ2104`, or several in one string: `FJ2104,FJ2001`).
    disable: "[string]"
    # The severity that makes `fjord check` exit 1, like `--fail-on`.
    failOn: enum(error|warning|info)
    # Per-code severity: `FJ2104: error` raises a warning, `FJ1007: warning` an info.
    severity: "map<enum(error|warning|info)>"
    # Globs of input files to leave out (`charts/**`, `**/values.yaml`), relative to this file.
    exclude: "[string]"
    # The Istio release the mesh runs, like `--istio-version` (`"1.22"`; quote it).
    istioVersion: string
    # A file or directory of ResidencyPolicy resources read with every run, relative to this file.
    residencyPolicy: string
    # Findings that are known and accepted.
    suppress: "[Suppression]"
  Suppression:
    # The code, or several: `FJ2104` or `FJ2104,FJ2110`.
    code: {type: string, required: true}
    # The resource, `Kind namespace/name` or istioctl's `Kind name.namespace`; globs on the names
    # (`VirtualService shop/legacy-*`, `* */debug-*`). Every resource when absent.
    resource: string
    # Why it is accepted, and who owns the decision: listed by `--show-suppressed`.
    reason: {type: string, required: true}
    owner: string
"""#

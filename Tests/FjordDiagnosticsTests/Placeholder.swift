import Testing

@Test func placeholder_FjordDiagnosticsTests() {}

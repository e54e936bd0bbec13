import Testing

@Test func placeholder_FjordChecksTests() {}

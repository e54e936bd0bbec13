import Testing

@Test func placeholder_FjordTableTests() {}

import Testing

@Test func placeholder_FjordRegexTests() {}

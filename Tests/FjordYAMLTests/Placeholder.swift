import Testing

@Test func placeholder_FjordYAMLTests() {}

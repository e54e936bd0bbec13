import Testing

@Test func placeholder_FjordCLITests() {}

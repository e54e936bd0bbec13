import Testing

@Test func placeholder_FjordFrontendTests() {}

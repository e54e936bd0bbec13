// Test targets that import `_FjordTestSupport` also see the compiler-free part.
@_exported import _FjordTestSupportCore

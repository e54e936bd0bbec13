// FjordRegex

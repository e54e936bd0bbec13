// FjordCompiler

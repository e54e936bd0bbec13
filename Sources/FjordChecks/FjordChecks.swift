// FjordChecks

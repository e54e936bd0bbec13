// FjordDecision

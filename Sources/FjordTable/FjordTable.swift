// FjordTable

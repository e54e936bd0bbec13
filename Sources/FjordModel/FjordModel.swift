// FjordModel

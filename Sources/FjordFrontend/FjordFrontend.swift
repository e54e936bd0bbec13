// FjordFrontend

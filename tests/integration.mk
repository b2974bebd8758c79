# tests fragment (filled in by its module)

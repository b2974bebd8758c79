# bench fragment (filled in by its module)

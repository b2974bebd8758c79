# analyzer fragment (filled in by its module)

# reports fragment (filled in by its module)

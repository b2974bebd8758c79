# cli fragment (filled in by its module)

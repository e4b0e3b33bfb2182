"""What a visitor sees of demands: the public projection (the one source of every public
output), its search registration and page cache, and the list, detail, feeds, sitemap and
export built from it."""

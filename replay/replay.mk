# replay fragment

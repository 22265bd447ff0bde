// expect: took longer than || MiB of memory
1L.upto(9000000000000000000L) { }

// expect: took longer than || MiB of memory
for (i in 0..2000000000) { }

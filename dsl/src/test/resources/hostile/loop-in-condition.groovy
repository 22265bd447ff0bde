// expect: took longer than || MiB of memory
while ((1..2000000000).every { it > 0 }) { }

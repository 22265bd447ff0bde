// expect: took longer than || MiB of memory
int i = 0
while (i >= 0) {
  i = (i + 1) % 1000
}

// expect: took longer than || MiB of memory
outer:
for (;;) {
  for (i in [1, 2]) { continue outer }
}

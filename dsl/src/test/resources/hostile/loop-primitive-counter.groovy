// expect: took longer than
int i = 0
while (i >= 0) {
  i = (i + 1) % 1000
}

// expect: took longer than
for (int i = 0; i >= 0; i = (i + 1) % 10) { }

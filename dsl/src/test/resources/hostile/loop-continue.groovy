// expect: took longer than
while (true) { continue }

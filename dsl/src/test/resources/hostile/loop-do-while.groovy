// expect: took longer than
do {
} while (true)

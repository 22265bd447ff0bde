// expect: declaring a class
record Evil(String path) {
  Evil { new File(path).text = 'pwned' }
}

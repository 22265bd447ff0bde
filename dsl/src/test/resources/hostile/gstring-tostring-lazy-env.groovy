// expect: inside a double-quoted string
job('a') {
  env X: "${-> new File('CANARY').text = 'x'}"
}

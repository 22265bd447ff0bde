// expect: using the class 'HttpClient'
java.net.http.HttpClient.newHttpClient()

package io.stoker.server.auth

import com.fasterxml.jackson.databind.ObjectMapper

import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.nio.charset.StandardCharsets

/** Builds and takes apart JWTs by hand, so specs can forge the tokens an attacker would. */
class Jwts {
    static final ObjectMapper JSON = new ObjectMapper()

    static String b64(byte[] bytes) {
        Base64.urlEncoder.withoutPadding().encodeToString(bytes)
    }

    static String b64(Map m) {
        b64(JSON.writeValueAsBytes(m))
    }

    static Map header(String token) {
        JSON.readValue(Base64.urlDecoder.decode(token.split('\\.')[0]), Map)
    }

    static Map claims(String token) {
        JSON.readValue(Base64.urlDecoder.decode(token.split('\\.')[1]), Map)
    }

    /** header.payload signed with HMAC ({@code HmacSHA256}, {@code HmacSHA512}) under {@code key}. */
    static String hmac(Map header, Map claims, byte[] key, String mac = 'HmacSHA256') {
        String input = b64(header) + '.' + b64(claims)
        Mac m = Mac.getInstance(mac)
        m.init(new SecretKeySpec(key, mac))
        input + '.' + b64(m.doFinal(input.getBytes(StandardCharsets.US_ASCII)))
    }

    static String unsigned(Map claims) {
        b64([alg: 'none', typ: 'JWT']) + '.' + b64(claims) + '.'
    }
}

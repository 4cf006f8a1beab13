#include <gtest/gtest.h>

#include "clients/stripe/form_encoding.hpp"

using mercato::clients::stripe::form_encode;

TEST(FormEncoding, KeepsUnreservedCharactersAndOrder) {
  EXPECT_EQ(form_encode({{"amount", "1999"}, {"currency", "usd"}, {"a-b.c_d~e", "Z9"}}),
            "amount=1999&currency=usd&a-b.c_d~e=Z9");
  EXPECT_EQ(form_encode({{"z", "1"}, {"a", "2"}}), "z=1&a=2");
}

TEST(FormEncoding, EncodesBracketsSoNestedKeysDecodeToTheSameKey) {
  EXPECT_EQ(form_encode({{"metadata[order_id]", "0190a1b2-c3d4"}, {"automatic_payment_methods[enabled]", "true"}}),
            "metadata%5Border_id%5D=0190a1b2-c3d4&automatic_payment_methods%5Benabled%5D=true");
}

TEST(FormEncoding, EncodesReservedCharactersSoNoValueEscapesItsField) {
  EXPECT_EQ(form_encode({{"description", "a&b=c+d e/f?g#h%i"}}), "description=a%26b%3Dc%2Bd%20e%2Ff%3Fg%23h%25i");
  EXPECT_EQ(form_encode({{"k", "\r\n\t\"'<>!*(),;:@$"}}), "k=%0D%0A%09%22%27%3C%3E%21%2A%28%29%2C%3B%3A%40%24");
}

TEST(FormEncoding, EncodesUtf8BytePerByte) {
  EXPECT_EQ(form_encode({{"name", "Crème brûlée €"}}), "name=Cr%C3%A8me%20br%C3%BBl%C3%A9e%20%E2%82%AC");
}

TEST(FormEncoding, KeepsEmptyValuesAndEmptyInput) {
  // Stripe reads "metadata[note]=" as "unset this key": an empty value must still be sent.
  EXPECT_EQ(form_encode({{"metadata[note]", ""}, {"amount", "5"}}), "metadata%5Bnote%5D=&amount=5");
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"", ""}}), "=");
}

TEST(FormEncoding, EncodesNulAndHighBytes) {
  EXPECT_EQ(form_encode({{"k", std::string("a\0b\xff", 4)}}), "k=a%00b%FF");
}

import { str } from './forms';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The address inputs of AddressChoice by the API's field paths, so its errors show under them. */
export const ADDRESS_FIELDS: Record<string, string> = Object.fromEntries(
  ['label', 'street', 'unit', 'city', 'postalCode', 'entryNotes'].map((f) => [`newAddress.${f}`, f]),
);

/**
 * What AddressChoice sent, as POST /bookings and POST /series take it: one of her saved addresses,
 * or the new one typed (saved unless she unticked the box). Nothing where the co-op does not come to her.
 */
export function addressInput(data: FormData) {
  if (str(data, 'needsAddress') !== '1') return {};
  const choice = str(data, 'addressChoice');
  if (UUID.test(choice)) return { addressId: choice };
  return {
    newAddress: {
      label: str(data, 'label'), street: str(data, 'street'), unit: str(data, 'unit'), city: str(data, 'city'),
      postalCode: str(data, 'postalCode'), entryNotes: str(data, 'entryNotes'),
    },
    saveAddress: str(data, 'saveAddress') === 'on',
  };
}

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "vapi_phone_numbers" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "vapi_phone_id" TEXT NOT NULL,
    "phone_number" TEXT NOT NULL,
    "vapi_assistant_id" TEXT,
    "vapi_squad_id" TEXT,
    "twilio_phone_number_sid" TEXT,
    "twilio_messaging_service_sid" TEXT,
    "name" TEXT NOT NULL,
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "vapi_phone_numbers_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "vapi_phone_numbers_vapi_phone_id_key" ON "vapi_phone_numbers"("vapi_phone_id");

-- CreateIndex
CREATE UNIQUE INDEX "vapi_phone_numbers_phone_number_key" ON "vapi_phone_numbers"("phone_number");

-- CreateIndex
CREATE INDEX "vapi_phone_numbers_account_id_idx" ON "vapi_phone_numbers"("account_id");

-- CreateIndex
CREATE INDEX "vapi_phone_numbers_twilio_phone_number_sid_idx" ON "vapi_phone_numbers"("twilio_phone_number_sid");

-- AddForeignKey
ALTER TABLE "vapi_phone_numbers" ADD CONSTRAINT "vapi_phone_numbers_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

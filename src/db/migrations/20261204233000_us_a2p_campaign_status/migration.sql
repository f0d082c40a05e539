-- AlterTable
ALTER TABLE "accounts" ADD COLUMN     "us_a2p_campaign_status" TEXT;
